import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDigits, runFinetuneExperiment } from '../../experiments/finetune.js';
import { runCompressionExperiment } from '../../experiments/llmCompression.js';
import { formatSeconds } from '../../format.js';
import { htmlTable } from '../html.js';
import type { ReportSection } from '../section.js';
import { linePlot } from '../svg.js';

/** Settings of the tour's fine-tuning run (smaller than the README's, to keep the tour quick). */
export const TOUR_FINETUNE = { pretrainEpochs: 15, epochs: 4, rank: 4 } as const;
/** Settings of the tour's compression run. */
export const TOUR_COMPRESSION = { sequences: 2, length: 32, lqMaxIter: 20 } as const;

/** Fine-tuning on the digits and compression of stories260K, measured end to end. */
export const finetuneSection: ReportSection = {
  id: 'finetune',
  title: 'Fine-tuning and compression, measured',
  order: 38,
  intro:
    'Adapters and compressed models are only worth what they do once trained or run. An MLP pretrained on the digits is adapted to the transposed digits with each method at the same rank; then stories260K is compressed several ways at the same storage and compared with the original, next token by next token, on text it sampled itself.',
  render(ctx) {
    ctx.progress.update('fine-tuning: digits');
    const digits = readDigits(new Uint8Array(readFileSync(join(ctx.assetsDir, 'digits.csv.gz'))));
    const ft = ctx.time('fine-tune 9 methods on the digits', () =>
      runFinetuneExperiment(digits, { ...TOUR_FINETUNE }),
    );
    const pissa = ft.rows.find((r) => r.method === 'pissa');
    const lora = ft.rows.find((r) => r.method === 'lora');
    if (pissa && lora) {
      ctx.say(
        `adapt   digits → transposed digits at rank ${TOUR_FINETUNE.rank}: LoRA ${(100 * lora.accuracy).toFixed(1)} %, PiSSA ${(100 * pissa.accuracy).toFixed(1)} % held-out accuracy`,
      );
    }
    const curves = linePlot(
      // Ten methods, eight palette colours: the last two lines are dashed.
      ft.rows.map((r, k) => ({
        name: r.method,
        y: r.lossCurve,
        x: r.lossCurve.map((_, i) => i + 1),
        dashed: k >= 8,
      })),
      {
        title: 'Training loss on the new task, per epoch',
        x: { label: 'epoch' },
        y: { label: 'cross-entropy (log scale)', log: true },
      },
    );
    const ftTable = htmlTable(
      [
        'method',
        'trainable',
        'loss, epoch 1',
        'final loss',
        'accuracy (new)',
        'accuracy (old task)',
        'time',
      ],
      ft.rows.map((r) => [
        r.method,
        r.trainableParameters,
        r.firstEpochLoss.toFixed(3),
        r.finalLoss.toFixed(3),
        `${(100 * r.accuracy).toFixed(1)} %`,
        `${(100 * r.oldTaskAccuracy).toFixed(1)} %`,
        formatSeconds(r.seconds),
      ]),
    );

    ctx.progress.update('compression: stories260K');
    const dir = join(ctx.assetsDir, 'stories260K');
    const comp = ctx.time('compress stories260K 9 ways', () =>
      runCompressionExperiment(
        {
          config: readFileSync(join(dir, 'config.json'), 'utf8'),
          safetensors: new Uint8Array(readFileSync(join(dir, 'model.safetensors'))),
        },
        { ...TOUR_COMPRESSION },
      ),
    );
    const compTable = htmlTable(
      ['variant', 'bits / parameter', 'next-token KL (nats)', 'top-1 agreement'],
      comp.rows.map((r) => [
        r.variant,
        r.bitsPerParam.toFixed(2),
        r.kl.toFixed(4),
        `${(100 * r.top1Agreement).toFixed(1)} %`,
      ]),
    );
    const cordaTable = htmlTable(
      ['CorDA mode', 'rank', 'KL of the residual model alone', 'top-1 agreement'],
      comp.corda.map((r) => [
        r.mode.toUpperCase(),
        r.rank,
        r.kl.toFixed(4),
        `${(100 * r.top1Agreement).toFixed(1)} %`,
      ]),
    );
    const matTable = htmlTable(
      ['FFN width kept', 'KL', 'top-1 agreement'],
      comp.matformer.map((r) => [
        r.width,
        r.kl.toFixed(4),
        `${(100 * r.top1Agreement).toFixed(1)} %`,
      ]),
    );
    return `
<h3>Adapting a pretrained MLP to a new task</h3>
<p>MLP 64 → 64 → 64 → 10 pretrained ${TOUR_FINETUNE.pretrainEpochs} epochs on 70 % of the digits (held-out accuracy ${(100 * ft.pretrainAccuracy).toFixed(1)} %), then adapted for ${TOUR_FINETUNE.epochs} epochs to the same digits transposed (accuracy before adapting: ${(100 * ft.zeroShotAccuracy).toFixed(1)} %), every layer adapted, Adam lr 3e-3, batch 32, seed 0. SVFit and LoLDU train only singular values / pivots: far fewer numbers, and on this task (which needs new directions, not rescaled old ones) far lower accuracy.</p>
${curves}
${ftTable}
<h3>Compressing stories260K at equal storage</h3>
<p>${comp.evaluationTokens} held-out tokens sampled from the original (${comp.calibrationTokens} more for calibration). This 260K-parameter model is unusually sensitive: even 8-bit NormalFloat moves its next-token distribution measurably.</p>
${compTable}
<p>CorDA: the base weight left after moving rank-r components into the adapter. KPM moves the components the context does <em>not</em> use, so the residual model alone stays close to the original; IPM moves the ones it uses most.</p>
${cordaTable}
<p>Prefix slices of every FFN (MatFormer's nested widths). stories260K was not trained with nested widths, so its slices are poor; a MatFormer-trained model is needed for the paper's claim.</p>
${matTable}
<pre>node tooling/bench/peft.mjs   # training step and tokens/s</pre>`;
  },
};
