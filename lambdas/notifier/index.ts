// Placeholder until its handler lands in this issue (the stack bundles this entry).
export const handler = async (): Promise<never> => {
  throw new Error('lambdas/notifier is not wired yet');
};
