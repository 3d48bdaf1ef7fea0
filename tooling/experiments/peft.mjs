#!/usr/bin/env node
// The result tables of packages/peft/README.md ("Fine-tuning on real data: the digits" and
// "Compressing a real language model: stories260K"), from the built packages with the
// experiments' defaults. Deterministic (seeded); takes about a minute on 2 cores.
//   pnpm build && node tooling/experiments/peft.mjs [--only finetune|compression]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = await import(join(root, 'packages/cli/dist/index.js'));
const assets = join(root, 'packages/cli/assets');
const only = process.argv.includes('--only')
  ? process.argv[process.argv.indexOf('--only') + 1]
  : null;
const pct = (x) => `${(100 * x).toFixed(1)} %`;

if (!only || only === 'finetune') {
  const digits = cli.readDigits(new Uint8Array(readFileSync(join(assets, 'digits.csv.gz'))));
  const r = cli.runFinetuneExperiment(digits);
  console.log(
    `pretrained ${pct(r.pretrainAccuracy)}, before adapting ${pct(r.zeroShotAccuracy)}\n`,
  );
  console.log(
    '| method | trainable | loss, epoch 1 | final loss | accuracy, new task | accuracy, old task | cached activations / batch |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const x of r.rows) {
    console.log(
      `| ${x.method} | ${x.trainableParameters} | ${x.firstEpochLoss.toFixed(3)} | ${x.finalLoss.toFixed(3)} | ${pct(x.accuracy)} | ${pct(x.oldTaskAccuracy)} | ${x.cachedActivations} |`,
    );
  }
  console.log();
}
if (!only || only === 'compression') {
  const dir = join(assets, 'stories260K');
  const r = cli.runCompressionExperiment({
    config: readFileSync(join(dir, 'config.json'), 'utf8'),
    safetensors: new Uint8Array(readFileSync(join(dir, 'model.safetensors'))),
  });
  console.log('| variant | bits / parameter | next-token KL (nats) | top-1 agreement |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const x of r.rows) {
    console.log(
      `| ${x.variant} | ${x.bitsPerParam.toFixed(2)} | ${x.kl.toFixed(3)} | ${pct(x.top1Agreement)} |`,
    );
  }
  console.log(
    '\n| CorDA, residual model without its adapter | KL | top-1 |\n| --- | ---: | ---: |',
  );
  for (const x of r.corda)
    console.log(
      `| ${x.mode.toUpperCase()} (rank ${x.rank}) | ${x.kl.toFixed(3)} | ${pct(x.top1Agreement)} |`,
    );
  console.log('\n| MatFormer FFN prefix | KL | top-1 |\n| --- | ---: | ---: |');
  for (const x of r.matformer)
    console.log(`| ${x.width} | ${x.kl.toFixed(3)} | ${pct(x.top1Agreement)} |`);
}
