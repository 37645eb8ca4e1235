// The elements' look, shared: every visual choice a brand changes is a `--passkey-*` custom property with a
// default (documented in each element's docblock as `@cssprop`), and every rendered piece is a part.
//
// Colours follow the page's colour scheme: `light-dark()` picks the dark value when the element's used
// `color-scheme` is dark, i.e. when the page declares `color-scheme: light dark` (or `dark`) and the user
// prefers dark (`prefers-color-scheme`). A light-only page keeps light elements whatever the system says.
// Both palettes pass WCAG AA (test/elements-theming.test.ts measures them in Chromium): text 4.5:1,
// boundaries and the focus ring 3:1. The border and the focus ring are drawn in the button's text colour,
// so they keep that contrast whatever the brand's colours, and in browsers without `light-dark()` (before
// 2024), where the other defaults fall back to the page's own colours, the button still has both.
import { css } from 'lit'

/** The host and the status regions: every element. */
export const baseStyles = css`
  :host {
    display: inline-block;
    box-sizing: border-box;
    max-width: 100%;
    font-family: var(--passkey-font-family, inherit);
    font-size: var(--passkey-font-size, inherit);
  }
  :host([hidden]) { display: none; }
  [part~='status'] {
    margin: var(--passkey-gap, 0.5em) 0 0;
    color: var(--passkey-status-color, inherit);
    font-size: var(--passkey-status-font-size, inherit);
    overflow-wrap: anywhere;
  }
  [part~='status']:empty { margin: 0; }
  [part~='status']:focus { outline: none; }
  [role='alert'] { color: var(--passkey-error-color, light-dark(#b91c1c, #fca5a5)); }
`

/** The native button of `<passkey-signin-button>` and `<passkey-enroll>` (and the focus ring of whatever they render). */
export const buttonStyles = css`
  ${baseStyles}
  button {
    box-sizing: border-box;
    max-width: 100%;
    margin: 0;
    font: inherit;
    font-weight: var(--passkey-font-weight, 600);
    line-height: var(--passkey-line-height, 1.25);
    text-align: center;
    overflow-wrap: anywhere;
    cursor: pointer;
    padding: var(--passkey-button-padding, 0.625em 1.25em);
    border-radius: var(--passkey-button-radius, 0.375em);
    background: var(--passkey-button-background, light-dark(#fff, #1f2937));
    color: var(--passkey-button-color, light-dark(#1f2937, #f9fafb));
    border: var(--passkey-button-border, var(--passkey-button-border-width, 1px) solid var(--passkey-button-border-color, currentColor));
  }
  button:hover:enabled { background: var(--passkey-button-hover-background, light-dark(#e5e7eb, #374151)); }
  :focus-visible {
    outline: var(--passkey-focus-ring-width, 2px) solid var(--passkey-focus-ring-color, currentColor);
    outline-offset: var(--passkey-focus-ring-offset, 2px);
  }
  button:disabled { cursor: not-allowed; opacity: 0.7; }
  button[aria-busy='true'] { cursor: progress; }
`
