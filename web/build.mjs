// Builds the web picture into src/Kizuna.Server/wwwroot/ (committed; see docs/web.md).
// app.js starts with a hash of the web sources; Kizuna.Server.Tests fails when it is stale.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, copyFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const out = join(here, "..", "src", "Kizuna.Server", "wwwroot");

/** Files whose content defines the bundle (keep in step with WebBundleTests.SourceFiles). */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(here, p).split(sep).join("/"));
    }
  };
  walk(join(here, "src"));
  walk(join(here, "static"));
  files.push("build.mjs", "package.json", "package-lock.json", "tsconfig.json");
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** sha256 over "path\0sha256(content with CRLF→LF)\n" per file, in ordinal path order. */
export function sourcesHash() {
  const h = createHash("sha256");
  for (const f of sourceFiles()) {
    const text = readFileSync(join(here, f), "utf8").replace(/\r\n/g, "\n");
    const fh = createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
    h.update(`${f}\0${fh}\n`);
  }
  return h.digest("hex");
}

mkdirSync(out, { recursive: true });
const hash = sourcesHash();
await build({
  entryPoints: [join(here, "src", "main.ts")],
  bundle: true,
  format: "iife",
  target: "es2022",
  minify: true,
  legalComments: "eof",
  banner: { js: `/* kizuna-web-sources-sha256: ${hash} */` },
  outfile: join(out, "app.js"),
  logLevel: "warning",
});
for (const f of readdirSync(join(here, "static"))) copyFileSync(join(here, "static", f), join(out, f));
copyFileSync(join(here, "node_modules", "world-atlas", "countries-50m.json"), join(out, "countries-50m.json"));
writeFileSync(join(out, "LICENSES.txt"),
  "Bundled third-party software and data (see docs/architecture.md):\n" +
  "milsymbol (MIT), d3-geo and d3-array (ISC), topojson-client (ISC), world-atlas (ISC) with Natural Earth data (public domain).\n");
console.log(`web: built ${relative(here, out)} (sources ${hash.slice(0, 12)})`);
