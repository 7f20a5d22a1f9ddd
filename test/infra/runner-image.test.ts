import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from './synthesized';

interface ImageAsset {
  readonly source: {
    readonly directory: string;
    readonly dockerFile: string;
    readonly platform: string;
    readonly dockerOutputs?: string[];
  };
  readonly destinations: Record<string, { readonly repositoryName: string; readonly imageTag: string }>;
}

describe('the runner image asset', () => {
  let images: [string, ImageAsset][];

  beforeAll(() => {
    const { outdir } = synthesize({}, { bundle: false });
    const manifest = JSON.parse(readFileSync(join(outdir, 'Towerless.assets.json'), 'utf8'));
    images = Object.entries(manifest.dockerImages);
  });

  it('is built with zstd layers in OCI media types, forced on the base image layers too', () => {
    expect(images).toHaveLength(1);
    expect(images[0][1].source.dockerOutputs).toEqual([
      'type=image,compression=zstd,force-compression=true,oci-mediatypes=true',
    ]);
  });

  // scripts/runner-image-soci.sh reads these fields to publish the same image under the same tag.
  it('names its build and its one destination as the SOCI script reads them', () => {
    const [hash, { source, destinations }] = images[0];
    expect(source).toMatchObject({ dockerFile: 'runner-image/Dockerfile', platform: 'linux/arm64' });
    expect(source.directory).toBe(`asset.${hash}`);
    expect(Object.values(destinations)).toEqual([
      {
        repositoryName: 'cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}',
        imageTag: hash,
        assumeRoleArn: expect.any(String),
      },
    ]);
  });
});
