// Type-level checks of the package's declarations, compiled with `tsc --noEmit` in strict mode
// (module resolution nodenext and bundler, lib es2022 + dom). Lines marked @ts-expect-error must
// fail to compile.
import init, {
  LogisticRegression,
  METHODS,
  compare,
  fit,
  initSync,
  makeClassification,
  prepare,
  randomSeed,
  sampleRows,
  trainTestSplit,
  version,
  type Certificate,
  type Edit,
  type FitOptions,
  type Method,
  type ModelJSON,
  type NoiseKind,
  type UnlearnReport,
} from 'unlearn';
import * as auto from 'unlearn/auto';

async function main(): Promise<void> {
  await init();
  await init(new URL('https://example.invalid/unlearn_bg.wasm'));
  initSync(new Uint8Array(8));
  const v: string = version;

  const { X, y } = makeClassification(100, 4, 1);
  const rows: number[][] = X;
  const flat = new Float64Array(400);

  // Labels keep their type through the model.
  const labels = y.map((v) => (v ? 'spam' : 'ham'));
  const model = fit(X, labels, { C: 1, fitIntercept: true });
  const predicted: string[] = model.predict(X);
  const proba: number[][] = model.predictProba(flat);
  const scores: number[] | number[][] = model.decisionFunction(X);
  const accuracy: number = model.score(X, labels);
  const coef: number[][] = model.coef;
  const intercept: number[] = model.intercept;
  const classes: string[] = model.classes;
  const d: number = model.nFeatures + model.nClasses;
  const rowsLeft: number | null = model.nRows;

  const estimator = new LogisticRegression({ l2: 0.5, maxIter: 50, onProgress: (i, g) => void [i, g] });
  const fitted: LogisticRegression<number> = estimator.fit(flat, new Float64Array(100));

  const edit: Edit<string> = { features: [0], featureValues: [[1, 0.5]], remove: [1, 2], relabel: [[3, 'spam']], cells: [[4, 1, 0.5]] };
  const { model: next, report } = model.unlearn(edit, { method: 'second_order', hessian: 'reuse', tau: 1e-3 });
  const r: UnlearnReport<string> = report;
  const certificate: Certificate<string> | null = report.certificate;
  const seconds: number = report.seconds;
  const again = next.retrain();
  const sameType: LogisticRegression<string> = again.model;

  const json: ModelJSON<string> = next.toJSON();
  const loaded = LogisticRegression.fromJSON<string>(json);
  const fromText = LogisticRegression.fromJSON(JSON.stringify(json));
  loaded.free();

  const options: FitOptions = { certified: { epsilon: 1, delta: 1e-5, sigma: 10, seed: 3 }, fitIntercept: false };
  const noise: NoiseKind | null = model.noise;
  const secret: boolean = certificate !== null && certificate.noise === 'secret' && certificate.boundHolds;
  const method: Method = METHODS[0];
  const comparison = compare(X, labels, { remove: [0] }, { methods: ['second_order', 'retrain'], xTest: X, yTest: labels });
  const distance: number | null = comparison.methods[0].distanceToRetrain;
  const split = prepare(X, labels, { testFraction: 0.25, unitRows: true });
  const trainLabels: string[] = split.yTrain;
  const picked: number[] = sampleRows(10, 3, 1);
  const { train, test }: { train: number[]; test: number[] } = trainTestSplit(10, { seed: 1 });
  const seed: number = randomSeed();

  const fromAuto: LogisticRegression<number> = auto.fit([[0], [1]], [0, 1]);

  // @ts-expect-error: not a method
  model.unlearn({ remove: [0] }, { method: 'second-order' });
  // @ts-expect-error: unknown option
  fit(X, labels, { lambda: 1 });
  // @ts-expect-error: relabel needs a label of the model's type
  model.unlearn({ relabel: [[0, 1]] });
  // @ts-expect-error: coef is read-only
  model.coef = [];
  // @ts-expect-error: BigInt64Array is not a feature matrix
  model.predict(new BigInt64Array(4));

  void [v, rows, predicted, proba, scores, accuracy, coef, intercept, classes, d, rowsLeft, fitted, r];
  void [noise, secret, certificate, seconds, sameType, fromText, options, method, distance, trainLabels, picked, seed, fromAuto, train, test];
}

void main;
