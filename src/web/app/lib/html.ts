/** htm bound to Preact: tagged templates instead of JSX, so the app needs no JSX build step. */
export { html, render } from 'htm/preact';
export { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
