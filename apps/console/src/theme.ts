import { Alert, createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * System fonts only (nothing fetched from the net); the primary colour's darkest shade, so that white
 * text on it and it on white keep a 4.5:1 contrast (WCAG AA; the axe scans of the console tests check it).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 9,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  components: {
    // The light alerts' coloured titles (yellow, orange on their tint) are below 4.5:1: the text colour, bold.
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
  },
});

/** Mantine's "dimmed" text (gray.6) is below 4.5:1 on white: gray.7 instead. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {},
});
