// `npm run bench`: runs every test/bench/*.bench.ts in turn. Each prints its own table with a ratio
// against a baseline measured in the same run. Select some with `npm run bench -- parse bind`.
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n## ${name}  (${new Date().toISOString()}, node ${process.version}, ${process.platform}/${process.arch})\n`);
  const mod = (await import(`./${file}`)) as { default: () => Promise<void> };
  await mod.default();
}
