// Copy the compiled GOV.UK Frontend and MoJ Frontend files into permanence/static/vendor/.
//
// No bundler: both packages ship minified CSS and ES-module JS. Their CSS refers to fonts and
// images with absolute `/assets/...` URLs; we rewrite those to `assets/...`, relative to the CSS
// file, so they resolve under Django's STATIC_URL wherever it is mounted.
//
//   permanence/static/vendor/govuk/govuk-frontend.min.css   (+ .map)
//   permanence/static/vendor/govuk/govuk-frontend.min.js    (ES module, + .map)
//   permanence/static/vendor/govuk/assets/{fonts,images,manifest.json}
//   permanence/static/vendor/moj/moj-frontend.min.css       (+ .map)
//   permanence/static/vendor/moj/moj-frontend.min.js        (ES module, + .map)
//   permanence/static/vendor/moj/assets/images/
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "permanence", "static", "vendor");
const require = createRequire(join(root, "package.json"));

function packageDir(name) {
  return dirname(require.resolve(`${name}/package.json`));
}

const govuk = join(packageDir("govuk-frontend"), "dist", "govuk");
const moj = join(packageDir("@ministryofjustice/frontend"), "moj");

const copies = [
  {
    dest: "govuk",
    css: join(govuk, "govuk-frontend.min.css"),
    js: join(govuk, "govuk-frontend.min.js"),
    assets: join(govuk, "assets"),
  },
  {
    dest: "moj",
    css: join(moj, "moj-frontend.min.css"),
    js: join(moj, "moj-frontend.min.js"),
    assets: join(moj, "assets"),
  },
];

function copyWithMap(src, destDir) {
  const name = src.split(/[\\/]/).pop();
  cpSync(src, join(destDir, name));
  if (existsSync(`${src}.map`)) cpSync(`${src}.map`, join(destDir, `${name}.map`));
  return join(destDir, name);
}

const urlPattern = /url\((['"]?)\/assets\//g;

rmSync(out, { recursive: true, force: true });
const problems = [];
for (const pkg of copies) {
  const destDir = join(out, pkg.dest);
  mkdirSync(destDir, { recursive: true });

  copyWithMap(pkg.js, destDir);
  cpSync(pkg.assets, join(destDir, "assets"), { recursive: true });

  const cssDest = copyWithMap(pkg.css, destDir);
  const css = readFileSync(cssDest, "utf8").replace(urlPattern, "url($1assets/");
  writeFileSync(cssDest, css);

  // Every url() in the copied CSS must now point at a file we copied.
  for (const match of css.matchAll(/url\((['"]?)([^)'"]+)\1\)/g)) {
    const target = match[2];
    if (/^(data:|https?:|#)/.test(target)) continue;
    if (target.startsWith("/")) {
      problems.push(`${relative(root, cssDest)}: absolute url ${target}`);
    } else if (!existsSync(join(destDir, target.split(/[?#]/)[0]))) {
      problems.push(`${relative(root, cssDest)}: missing ${target}`);
    }
  }
}

if (problems.length) {
  console.error(`build-frontend: unresolved CSS references:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}

const count = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, entry) => n + (entry.isDirectory() ? count(join(dir, entry.name)) : 1),
    0,
  );
console.log(`build-frontend: copied ${count(out)} files into ${relative(root, out)}/`);
