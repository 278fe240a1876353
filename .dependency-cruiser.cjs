/**
 * dependency-cruiser: the import rules of the repository, checked by test/architecture/folders.spec.ts
 * (which also draws the server's folder graph in docs/architecture.md and refuses new circles
 * between folders).
 */
module.exports = {
  forbidden: [
    {
      name: 'libs-stand-alone',
      comment: 'Libraries never import the applications.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'web-without-server',
      comment: 'The web client imports libraries, never server code.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^apps/server/' },
    },
    {
      name: 'engine-without-plans',
      comment: 'The collab engine knows documents, not plans: it never imports the plan model.',
      severity: 'error',
      from: { path: '^libs/(collab|collab-protocol)/' },
      to: { path: '^libs/plan-model/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/|\\.spec\\.ts$' },
  },
};
