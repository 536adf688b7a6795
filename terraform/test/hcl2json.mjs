// Prints {"<path>": <HCL2 as JSON>, ...} for the .tf files given, with HashiCorp's HCL2 parser (@cdktf/hcl2json,
// the Go parser compiled to WebAssembly). A file that does not parse exits non-zero with the parser's message.
import { readFileSync } from "node:fs";
import { parse } from "@cdktf/hcl2json";

const out = {};
for (const file of process.argv.slice(2)) {
  out[file] = await parse(file, readFileSync(file, "utf8"));
}
process.stdout.write(JSON.stringify(out));
