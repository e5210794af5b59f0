// Validates every object in deploy/kubernetes/*.yaml against the Kubernetes JSON schemas that the npm package
// kubernetes-models ships (Kubernetes 1.27 API), offline: no cluster is needed. Run through validate.sh, which installs
// the two packages into the git-ignored .tools/k8s-models. Prints one line per object; exits 1 if any is invalid.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(process.env.K8S_MODELS_DIR, "package.json"));
const YAML = require("yaml");

let failed = 0, checked = 0;
for (const file of readdirSync(here).filter(f => f.endsWith(".yaml")).sort()) {
  for (const doc of YAML.parseAllDocuments(readFileSync(join(here, file), "utf8"))) {
    if (doc.errors.length) { console.log(`${file}: YAML error ${doc.errors[0].message}`); failed++; continue; }
    const obj = doc.toJS();
    if (!obj) continue;
    if (obj.apiVersion?.startsWith("kustomize.config.k8s.io")) { console.log(`${file}: ${obj.kind} (kustomize file, not an API object: skipped)`); continue; }
    const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : [null, obj.apiVersion];
    const module = join(process.env.K8S_MODELS_DIR, "node_modules", "kubernetes-models", ...(group ? [group, version] : [version]), "index.js");
    let Model;
    try { Model = (await import(pathToFileURL(module).href))[obj.kind]; } catch { Model = undefined; }
    if (!Model) { console.log(`${file}: ${obj.apiVersion} ${obj.kind}: no schema`); failed++; continue; }
    try {
      new Model(obj).validate();
      checked++;
      console.log(`${file}: ${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}: valid`);
    } catch (e) {
      failed++;
      console.log(`${file}: ${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}: INVALID ${e.message}`);
    }
  }
}
console.log(`${checked} valid, ${failed} invalid`);
process.exit(failed ? 1 : 0);
