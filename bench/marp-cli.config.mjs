// Marp CLI configuration for the benchmark: Marp CLI typesets with briefgen's own marp-core 5
// engine (local Twemoji, KaTeX with local fonts), so both tools render the very same slides.
import { createMarp } from '../dist/render/marp-engine.js';

export default {
  engine: (options) => createMarp(options),
};
