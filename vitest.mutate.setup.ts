import fc from 'fast-check';

// For `npm run mutate` only (vitest.mutate.config.ts): a property that fails under a mutant has
// killed it; shrinking the counterexample would only cost time (often past Stryker's timeout,
// turning a kill into a "timeout").
fc.configureGlobal({ endOnFailure: true });
