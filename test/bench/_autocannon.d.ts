// autocannon ships no type declarations; the bench casts the default export to the small part it uses.
declare module 'autocannon';
