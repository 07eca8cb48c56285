// Conversion time of one RUN with 10,000 and with 100,000 continuation lines, to show growth is linear.
import { convert } from "../dist/index.js";

const time = (lines) => {
  const body = Array.from({ length: lines }, (_, i) => `  && echo line${i} \\`).join("\n");
  const text = `FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm install \\\n${body}\n  && true\nCMD ["node", "index.js"]\n`;
  const started = performance.now();
  convert(text);
  return performance.now() - started;
};
time(2000);
console.log(JSON.stringify({ small: time(10_000), large: time(100_000) }));
