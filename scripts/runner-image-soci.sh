#!/usr/bin/env bash
# Makes a runner image Fargate lazy-loads: an image with a SOCI index (SOCI index manifest v2),
# built by `soci convert`. Fargate then starts the task before the whole image is pulled.
# docs/runner-image.md says when that pays off.
#
#   scripts/runner-image-soci.sh [-c key=value ...]
#       Before `npx cdk deploy` (give both the same -c options): builds the stack's runner image,
#       converts it and pushes it under the tag `cdk deploy` would push it to, in the CDK's asset
#       repository. `cdk deploy` finds the tag there and skips its own build and push, so the task
#       definition names the image with the index.
#
#   scripts/runner-image-soci.sh --image <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>
#       Converts an image already pushed (an execution environment's, built FROM the runner image)
#       and pushes it as <tag>-soci beside it: name that tag in the execution environment.
#
# Needs the AWS CLI with credentials that may push to the repository, skopeo, soci 0.13 or later
# (`convert --standalone`: no containerd), and, without --image, Docker with buildx and Node.js.
# SOCI indexes gzip layers only, so the layers are recompressed to gzip: zstd and SOCI do not mix.
# shellcheck disable=SC2016  # ${...} in single quotes is JavaScript's and CloudFormation's text
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "runner-image-soci: $tool is not on PATH" >&2; exit 1; }
  done
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = --image ]; then
  ecr='^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/[^@]+:[A-Za-z0-9_][A-Za-z0-9._-]*$'
  if [ $# -ne 2 ] || ! [[ $2 =~ $ecr ]]; then
    echo "usage: $0 --image <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>" >&2
    exit 2
  fi
  need aws skopeo soci
  source_image=$2
  registry=${source_image%%/*}
  region=$(cut -d. -f4 <<<"$registry")
  destination="$source_image-soci"
else
  need aws skopeo soci docker node
  # The same synth as `cdk deploy` runs, in a folder of its own: the same asset hash, hence tag.
  npx cdk synth -q --output "$work/cdk.out" "$@" >/dev/null
  read -r context dockerfile platform repository tag < <(node -e '
    const images = Object.values(require(process.argv[1]).dockerImages);
    if (images.length !== 1) throw new Error(`expected one image asset, found ${images.length}`);
    const [{ source, destinations }] = images;
    const [{ repositoryName, imageTag }] = Object.values(destinations);
    console.log(source.directory, source.dockerFile, source.platform, repositoryName, imageTag);
  ' "$work/cdk.out/Towerless.assets.json")
  account=$(aws sts get-caller-identity --query Account --output text)
  region=${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}
  repository=${repository//'${AWS::AccountId}'/$account}
  repository=${repository//'${AWS::Region}'/$region}
  registry="$account.dkr.ecr.$region.amazonaws.com"
  destination="$registry/$repository:$tag"
  pushed=$(aws ecr batch-get-image --region "$region" --repository-name "$repository" \
    --image-ids imageTag="$tag" --query 'images[0].imageManifest' --output text)
  if grep -q com.amazon.soci.index-digest <<<"$pushed"; then
    echo "$destination has its SOCI index already"
    exit 0
  elif [ "$pushed" != None ]; then
    cat >&2 <<EOF
runner-image-soci: cdk deploy pushed $destination already, without a SOCI index, and the tags of
that repository are immutable. Delete it and run this again; new tasks then take the new image:
  aws ecr batch-delete-image --region $region --repository-name $repository --image-ids imageTag=$tag
EOF
    exit 1
  fi
fi

# skopeo logs in through a file of this run only.
auth="$work/auth.json"
aws ecr get-login-password --region "$region" |
  skopeo login --authfile "$auth" --username AWS --password-stdin "$registry" >/dev/null

if [ -n "${source_image:-}" ]; then
  skopeo copy --authfile "$auth" --all --dest-compress-format gzip --dest-force-compress-format \
    "docker://$source_image" "oci-archive:$work/image.tar"
else
  # The oci exporter needs a BuildKit of its own (the docker driver has none without the containerd
  # image store). Attestations stay out of the index, as `cdk deploy` leaves them out.
  builder=towerless-soci
  docker buildx inspect "$builder" >/dev/null 2>&1 ||
    docker buildx create --name "$builder" --driver docker-container >/dev/null
  docker buildx build --builder "$builder" --platform "$platform" --provenance=false --sbom=false \
    --file "$work/cdk.out/$context/$dockerfile" \
    --output "type=oci,dest=$work/image.tar,compression=gzip,force-compression=true" \
    "$work/cdk.out/$context"
fi

soci convert --standalone --all-platforms "$work/image.tar" "$work/image-soci.tar"
skopeo copy --authfile "$auth" --all --preserve-digests \
  "oci-archive:$work/image-soci.tar" "docker://$destination"
echo "pushed $destination with its SOCI index"
