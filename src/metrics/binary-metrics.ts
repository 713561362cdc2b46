/**
 * The confusion-count family of PySODMetrics `FmeasureV2` (shared/docs/metrics.md §4):
 * precision, recall, F (β² = 0.3), F1, FPR, IoU, Dice, specificity, BER, overall accuracy
 * and kappa, for one binarisation's TP, FP, FN, TN.
 */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const sdiv = (a: number, b: number) => (b === 0 ? 0 : a / b);

export const BINARY_METRICS = {
  pre: ({ tp, fp }: Confusion) => sdiv(tp, tp + fp),
  rec: ({ tp, fn }: Confusion) => sdiv(tp, tp + fn),
  fm: (c: Confusion) => {
    const pre = sdiv(c.tp, c.tp + c.fp);
    const rec = sdiv(c.tp, c.tp + c.fn);
    return sdiv((0.3 + 1) * pre * rec, 0.3 * pre + rec);
  },
  f1: (c: Confusion) => {
    const pre = sdiv(c.tp, c.tp + c.fp);
    const rec = sdiv(c.tp, c.tp + c.fn);
    return sdiv((1 + 1) * pre * rec, 1 * pre + rec);
  },
  fpr: ({ fp, tn }: Confusion) => sdiv(fp, tn + fp),
  iou: ({ tp, fp, fn }: Confusion) => sdiv(tp, tp + fp + fn),
  dice: ({ tp, fp, fn }: Confusion) => sdiv(2 * tp, tp + fn + tp + fp),
  spec: ({ tn, fp }: Confusion) => sdiv(tn, tn + fp),
  ber: ({ tp, fn, tn, fp }: Confusion) => 1 - 0.5 * (sdiv(tp, tp + fn) + sdiv(tn, tn + fp)),
  oa: ({ tp, fp, tn, fn }: Confusion) => sdiv(tp + tn, tp + fp + tn + fn),
  kappa: ({ tp, fp, tn, fn }: Confusion) => {
    const oa = sdiv(tp + tn, tp + fp + tn + fn);
    const h = sdiv((tp + fp) * (tp + fn) + (tn + fn) * (tn + tp), (tp + fp + tn + fn) ** 2);
    return sdiv(oa - h, 1 - h);
  },
} as const;

export type BinaryMetricName = keyof typeof BINARY_METRICS;
