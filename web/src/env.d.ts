/// <reference types="vite/client" />
declare module '*.mjs?raw' {
  const text: string;
  export default text;
}
