/** esbuild bundles CSS imported from TypeScript; tell the type checker such imports exist. */
declare module '*.css';
