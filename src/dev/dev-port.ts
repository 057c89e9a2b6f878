/** The live preview's default port; its own module so the CLI can name it without loading the server. */
export const defaultDevPort = 4173;
