// Type declarations of the package `unlearn` (every entry: "unlearn", "unlearn/auto", and the
// Node entry that both resolve to in Node). The generated low-level bindings have their own
// declarations under "unlearn/bindings".

// ---------------------------------------------------------------------------------------------
// Initialisation

/** The bytes of `unlearn_bg.wasm`. */
export type WasmBytes = ArrayBuffer | ArrayBufferView;

/**
 * What `init` can load the WebAssembly module from: a URL (or URL string) to fetch, a fetch
 * `Response`, the bytes, or a compiled module — or a promise of one of these.
 */
export type InitInput =
  | string
  | URL
  | Response
  | WasmBytes
  | WebAssembly.Module
  | Promise<string | URL | Response | WasmBytes | WebAssembly.Module>;

/**
 * Loads and instantiates the WebAssembly module; resolves when the API can be used. Call it once
 * before anything else (later calls return at once; in Node and with "unlearn/auto" it is already
 * done). Without an argument the `.wasm` file is fetched from next to the module
 * (`new URL('./wasm/unlearn_bg.wasm', import.meta.url)`, which Vite and webpack rewrite to the
 * emitted asset); pass a URL, a `Response`, the bytes or a compiled module to load it elsewhere.
 */
export function init(input?: InitInput | { module_or_path: InitInput }): Promise<void>;
export default init;

/**
 * Instantiates the WebAssembly module synchronously from its bytes or a compiled module (what
 * the Node entry does with the file next to it). Browsers allow this only for small modules or
 * off the main thread; prefer `init()` there.
 */
export function initSync(input: WasmBytes | WebAssembly.Module | { module: WasmBytes | WebAssembly.Module }): void;

/** The package version (semver), e.g. "0.1.0". */
export const version: string;

// ---------------------------------------------------------------------------------------------
// Data

/** A class label: numbers, strings or booleans (one kind per model). */
export type Label = number | string | boolean;

/** Any numeric typed array except BigInt64Array and BigUint64Array. */
export type NumericTypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/**
 * A feature matrix: an array of rows (each an array or typed array of d numbers), or a flat
 * row-major array or typed array of n × d numbers (then `nFeatures` says d; a fitted model knows
 * it).
 */
export type Matrix = ReadonlyArray<ReadonlyArray<number> | NumericTypedArray> | ReadonlyArray<number> | NumericTypedArray;

/** Labels, one per row: an array of labels, or a numeric typed array. */
export type Labels<L extends Label = Label> = ReadonlyArray<L> | NumericTypedArray;

/** The label type a model keeps: string literals widen to string, number literals to number. */
export type Widen<L extends Label> = L extends string ? string : L extends number ? number : L extends boolean ? boolean : never;

// ---------------------------------------------------------------------------------------------
// Options

/** How to train. Every key is optional. */
export interface TrainOptions {
  /** λ ≥ 0, the L2 penalty (λ/2)‖w‖² on the summed loss. Default 1. Same optimum as scikit-learn's `C = 1/λ`. */
  l2?: number;
  /** scikit-learn's inverse regularisation strength: `l2 = 1 / C`. Give `l2` or `C`, not both. */
  C?: number;
  /** Fit intercepts (default true). */
  fitIntercept?: boolean;
  /** Penalise the intercepts too (default false; certified mode needs true or no intercept). */
  penalizeIntercept?: boolean;
  /** "total": (λ/2)‖w‖² (default, scikit-learn's); "per_sample": (λn/2)‖w‖², as Guo et al. */
  l2Scaling?: 'total' | 'per_sample';
  /** Newton stops when ‖∇L(θ)‖₂ ≤ tol. Default 1e-10. */
  tol?: number;
  /** The most Newton iterations. Default 100. */
  maxIter?: number;
  /** Called before each Newton step with the iteration and ‖∇L‖₂; errors it throws are ignored. */
  onProgress?: (iteration: number, gradNorm: number) => void;
  /** The number of columns d, needed when X is a flat array. */
  nFeatures?: number;
}

/** Certified unlearning (Guo et al., ICML 2020): train on L(θ) + bᵀθ with b ~ N(0, σ²I). */
export interface CertifiedOptions {
  /** ε > 0 of the (ε, δ) guarantee. */
  epsilon: number;
  /** δ in (0, 1) of the (ε, δ) guarantee. */
  delta: number;
  /** σ > 0, the standard deviation of the noise b; the budget is σε/√(2 ln(1.5/δ)). */
  sigma: number;
  /**
   * Seed of the noise draws (a whole number < 2⁵³), for tests and teaching: the noise becomes
   * reproducible and no certificate claims privacy. Without one (the default), every b comes from
   * the platform's secure generator and is never exported.
   */
  seed?: number;
}

export interface FitOptions extends TrainOptions {
  /** Certified mode (binary models only). */
  certified?: CertifiedOptions;
  /** Outside certified mode: how far requests may carry the model from the edited optimum. */
  drift?: DriftOptions;
}

/**
 * Drift is ‖∇L(θ; D̃)‖ / ‖∇L(0; D)‖, the residual as a share of the untrained model's gradient.
 * Approximate requests add up their errors; past `threshold` (1e-2) the report warns, or with
 * `action` "refine" (exact refinement) or "retrain" (warm Newton) the model is corrected first.
 */
export interface DriftOptions {
  threshold?: number;
  action?: 'warn' | 'refine' | 'retrain';
}

/** The unlearning methods (see `METHODS`). */
export type Method =
  | 'lazy'
  | 'first_order'
  | 'second_order'
  | 'hessian_on_d'
  | 'first_order_stepwise'
  | 'second_order_stepwise'
  | 'fine_tune'
  | 'exact'
  | 'retrain_warm'
  | 'retrain';

/** Every method name in report order, as the WebAssembly module lists them (filled by `init()`). */
export const METHODS: readonly Method[];

/** Settings of the methods that have any. Every key is optional. */
export interface MethodSettings {
  /** Step size τ of the first-order update (default 1e-3). */
  tau?: number;
  /** Number of parts for the stepwise methods (default 10). */
  steps?: number;
  /** Learning rate of `fine_tune` (default τ). */
  fineTuneRate?: number;
  /** Minibatch size of `fine_tune` (default 32). */
  batchSize?: number;
  /** `exact` refines until ‖∇L‖₂ ≤ this (default: the training `tol`). */
  exactTarget?: number;
  /** The most refinement steps of `exact` (default 100). */
  exactMaxIter?: number;
}

export interface UnlearnOptions extends MethodSettings {
  /** The update (default "second_order"). */
  method?: Method;
  /** "reuse" the Hessian factor kept from training, updated by rank-one changes (default), or "refresh" it at the current θ. */
  hessian?: 'reuse' | 'refresh';
  /** Also compute ‖∇L(θ; D̃)‖₂ of the new model, O(n·d) (default true; always in certified mode). */
  residual?: boolean;
}

/**
 * What to forget. Rows are indices into the X given to `fit` (0-based), and keep their numbers
 * after earlier removals. Every key is optional.
 */
export interface Edit<L extends Label = Label> {
  /** Columns to replace by `featureValue` in every row (and on the evaluation rows of `compare`). */
  features?: ReadonlyArray<number> | NumericTypedArray;
  /** The replacement value for `features` (default 0: the mean of standardised data). */
  featureValue?: number;
  /** More columns to replace, each by its own value: [feature, value] (e.g. one-hot columns to 0, numeric ones to their mean). */
  featureValues?: ReadonlyArray<readonly [number, number]>;
  /** Single values to set: [row, feature, value]. */
  cells?: ReadonlyArray<readonly [number, number, number]>;
  /** New labels: [row, label], the label one of `classes`. */
  relabel?: ReadonlyArray<readonly [number, L]>;
  /** Rows to remove. */
  remove?: ReadonlyArray<number> | NumericTypedArray;
}

// ---------------------------------------------------------------------------------------------
// Reports

/** An edit as a certificate states it. */
export interface EditRecord<L extends Label = Label> {
  features: number[];
  featureValue: number;
  featureValues: Array<[number, number]>;
  cells: Array<[number, number, number]>;
  relabel: Array<[number, L]>;
  remove: number[];
}

/** What a certified request guarantees, and why. */
export interface Certificate<L extends Label = Label> {
  /** The request. */
  edit: EditRecord<L>;
  /** The method applied. */
  method: Method;
  /** Rows the request changed or removed. */
  affected: number;
  /** This request's bound on the growth of the gradient residual; `null` when an assumption fails (it bounds nothing then). */
  bound: number | null;
  /** ‖X̃‖₂, the spectral norm of the edited design matrix. */
  designNorm: number;
  /** The data-independent bound for the same number of affected rows, for comparison; `null` when an assumption fails. */
  worstCaseBound: number | null;
  /** ‖∇L_b(θ; D̃)‖₂ of the released model, including the noise term. */
  residual: number;
  /** The same without the noise term (it overstates the residual; shown for contrast). */
  residualWithoutNoise: number;
  /** The accumulated bound β before the request. */
  betaBefore: number;
  /** β after the request; `null` when an assumption of the bounds fails. */
  betaAfter: number | null;
  /** β_max = σε/c. */
  budget: number;
  epsilon: number;
  delta: number;
  sigma: number;
  /** Whether the released model is (ε, δ)-certified: the bound holds and the noise is secret. */
  certified: boolean;
  /** Whether the assumptions hold and β is within the budget (the mathematics, whatever the noise). */
  boundHolds: boolean;
  /** "secret", or "reproducible" (seeded or given: "reproducible noise: not a privacy guarantee"). */
  noise: NoiseKind;
  /** Whether the budget ran out and the model was retrained from scratch with fresh noise. */
  retrained: boolean;
  /** Why the model is not certified, or why it was retrained; else `null`. */
  reason: string | null;
  /** How many noise vectors have been drawn so far (1 after training). */
  noiseDraws: number;
}

/** Where a certified model's noise b comes from: only "secret" noise makes a certificate a guarantee. */
export type NoiseKind = 'secret' | 'reproducible';

/** What one `unlearn` (or `retrain`) request did. */
export interface UnlearnReport<L extends Label = Label> {
  /** The method applied. */
  method: Method;
  /** Rows the request changed or removed. */
  affected: number;
  /** Training rows left. */
  nRows: number;
  /** Iterations or steps the method took (0 for closed-form updates). */
  iterations: number;
  /** Second-order and exact updates: whether the Hessian factor was "updated" (rank-one) or "rebuilt". */
  factor: 'updated' | 'rebuilt' | null;
  /** ‖∇L(θ; D̃)‖₂ of the new model (0 exactly at the retrained optimum), if computed. */
  residual: number | null;
  /** In certified mode, the certificate; else `null`. */
  certificate: Certificate<L> | null;
  /** Outside certified mode, with the residual: the drift ‖∇L(θ; D̃)‖ / ‖∇L(0; D)‖; else `null`. */
  drift: number | null;
  /** The automatic correction that ran because the drift passed the threshold, if any. */
  corrected: 'refine' | 'retrain' | null;
  /** What makes this result less trustworthy: an update worse than none, drift past the threshold. */
  warnings: string[];
  /** Wall time of the request in seconds, measured around the WebAssembly call. */
  seconds: number;
}

/** The result of `unlearn` and `retrain`. */
export interface UnlearnResult<L extends Label = Label> {
  /** The model after the request; it now holds the training data. */
  model: LogisticRegression<L>;
  /** What the request did. */
  report: UnlearnReport<L>;
}

/** The exported form of a model (`toJSON`), for `LogisticRegression.fromJSON`. */
export interface ModelJSON<L extends Label = Label> {
  format: 'unlearn-model';
  version: 1;
  /** All parameters: the weights class by class (one block for binary), then the intercepts if fitted. */
  theta: number[];
  nFeatures: number;
  nClasses: number;
  fitIntercept: boolean;
  /**
   * The weights, row-major (K × d, or d for binary): a copy of θ's weights for reading. Optional
   * on import; when present they must equal θ's (to a relative 1e-9), else `fromJSON` throws.
   */
  coef?: number[];
  /** The intercepts: a copy of θ's for reading (zeros without an intercept); checked like `coef`. */
  intercepts?: number[];
  /** The class labels (default 0 … K − 1). */
  classes?: L[];
}

// ---------------------------------------------------------------------------------------------
// The model

/**
 * Logistic regression — binary (sigmoid) for two classes, multinomial (softmax) for more — with
 * the objective Σᵢ log-loss + (λ/2)‖w‖², trained by Newton's method; the same optimum as
 * scikit-learn's `LogisticRegression(C = 1/λ)`.
 */
export class LogisticRegression<L extends Label = Label> {
  /** An unfitted model with its training options. Throws on unknown or invalid options. */
  constructor(options?: FitOptions);

  /**
   * Trains on X (n rows of d numbers) and labels y; the sorted distinct labels become `classes`.
   * Returns this model, fitted (refitting replaces the previous fit).
   */
  fit(X: Matrix, y: NumericTypedArray): LogisticRegression<number>;
  fit<M extends Label>(X: Matrix, y: ReadonlyArray<M>): LogisticRegression<Widen<M>>;

  /** Predicted labels, one per row. */
  predict(X: Matrix): L[];
  /** Class probabilities: a row of K numbers per row of X, columns in the order of `classes` (binary too). */
  predictProba(X: Matrix): number[][];
  /** Binary: w·x + b per row (> 0 predicts `classes[1]`). K classes: a row of K scores per row. */
  decisionFunction(X: Matrix): number[] | number[][];
  /** Accuracy: the share of rows whose predicted label equals y. */
  score(X: Matrix, y: Labels<L>): number;

  /**
   * Forgets `edit` and returns the new model and a report. The training data moves to the
   * returned model; this one keeps predicting as before but can no longer unlearn
   * (`canUnlearn` becomes false). A request that fails throws and changes nothing.
   */
  unlearn(edit?: Edit<L>, options?: UnlearnOptions): UnlearnResult<L>;
  /**
   * Retrains from scratch on the training data after `edit` (default: none), like
   * `unlearn(edit, { method: 'retrain' })`; in certified mode with fresh noise.
   */
  retrain(edit?: Edit<L>, options?: { residual?: boolean }): UnlearnResult<L>;

  /** The weights: K rows of d numbers, one row for a binary model (scikit-learn's `coef_`). */
  readonly coef: number[][];
  /** The intercepts: one number (binary) or K (centred), zeros without intercept (`intercept_`). */
  readonly intercept: number[];
  /** The class labels, sorted (`classes_`). */
  readonly classes: L[];
  /** The number of features d (`n_features_in_`). */
  readonly nFeatures: number;
  /** The number of classes K (2 for a binary model). */
  readonly nClasses: number;
  /** Whether `unlearn` and `retrain` work on this model: it holds the training data. */
  readonly canUnlearn: boolean;
  /**
   * Whether the model was trained with `certified` options. Whether a request is (ε, δ)-certified
   * is each certificate's `certified`: never with `noise === "reproducible"`.
   */
  readonly certified: boolean;
  /** Training rows left after the requests so far; `null` for a model loaded from JSON. */
  readonly nRows: number | null;
  /** The accumulated residual bound β (certified mode; else the last training residual); `null` for a loaded model. */
  readonly beta: number | null;
  /** What makes the trained model less trustworthy (badly scaled features); `[]` when superseded or loaded. */
  readonly warnings: string[];
  /** The budget β_max = σε/c in certified mode, else `null`. */
  readonly budget: number | null;
  /** Certified mode: "secret" (never exported) or "reproducible" (seeded: not a privacy guarantee); else `null`. */
  readonly noise: NoiseKind | null;

  /** The assumptions of certified unlearning that fail on the current training data, one sentence each. */
  failedAssumptions(): string[];

  /** The model as a plain object for `JSON.stringify` (which calls this). */
  toJSON(): ModelJSON<L>;
  /**
   * A predict-only model (`canUnlearn` false) from `toJSON()`'s object or its JSON text. Throws
   * with the key and index at fault, e.g. `model: theta[3] is null, not a number; …` or
   * `model: coef[2] = 2.5 disagrees with theta[2] = 2; …`.
   */
  static fromJSON<M extends Label = Label>(json: ModelJSON<M> | string): LogisticRegression<M>;

  /**
   * Releases the WebAssembly memory now instead of at garbage collection. Afterwards every
   * method throws; `coef`, `intercept`, `classes`, `nFeatures` and `nClasses` stay readable.
   */
  free(): void;
}

/** `new LogisticRegression(options).fit(X, y)`. */
export function fit(X: Matrix, y: NumericTypedArray, options?: FitOptions): LogisticRegression<number>;
export function fit<L extends Label>(X: Matrix, y: ReadonlyArray<L>, options?: FitOptions): LogisticRegression<Widen<L>>;

// ---------------------------------------------------------------------------------------------
// Comparisons and data

export interface CompareOptions<L extends Label = Label> extends TrainOptions, MethodSettings {
  /** Evaluation rows (default: the training data). Give both or neither. */
  xTest?: Matrix;
  yTest?: Labels<L>;
  /** The methods to run (default lazy, first_order, second_order, retrain_warm, retrain). */
  methods?: readonly Method[];
  /** Each method is repeated until its runs take this long, for the mean time (default 0.002 s). */
  minTimingSeconds?: number;
}

/** One method's row of a comparison. A method that failed has `error` and nulls elsewhere. */
export interface MethodResult {
  method: Method;
  /** θ after the update: the weights class by class, then the intercepts. */
  theta: number[] | null;
  /** ‖θ − θ_retrain‖₂. */
  distanceToRetrain: number | null;
  /** ‖∇L(θ; D̃)‖₂ (0 at the retrained optimum). */
  residual: number | null;
  /** Accuracy on the evaluation rows. */
  accuracy: number | null;
  /** Mean log-loss (natural log) on the evaluation rows. */
  logLoss: number | null;
  /** Share of evaluation predictions equal to the retrained model's. */
  agreement: number | null;
  iterations: number | null;
  /** Mean wall time in seconds. */
  seconds: number | null;
  /** Time of retraining from scratch divided by this method's time. */
  speedup: number | null;
  error: string | null;
}

export interface Comparison<L extends Label = Label> {
  /** Training rows the edit changes or removes. */
  affected: number[];
  /** Rows after the edit. */
  nEdited: number;
  /** G = Σ∇ℓ(Z̃) − Σ∇ℓ(Z) at θ*. */
  gradientDifference: number[];
  /** Whether the Hessian factor from training was updated rather than rebuilt. */
  reusedFactor: boolean;
  retrainIterations: number;
  retrainGradNorm: number;
  methods: MethodResult[];
  /** E.g. a nearly singular Hessian. */
  warnings: string[];
  /** The class labels (the order of θ's blocks). */
  classes: L[];
}

/** Every requested method for one edit, against retraining from scratch. Nothing is kept. */
export function compare<L extends Label>(
  X: Matrix,
  y: Labels<L>,
  edit: Edit<Widen<L>>,
  options?: CompareOptions<Widen<L>>,
): Comparison<Widen<L>>;

export interface PrepareOptions {
  /** Share of rows held out for testing, in [0, 1) (default 0.2). */
  testFraction?: number;
  /** Seed of the shuffle (default 42). */
  seed?: number;
  /** Scale every row to unit Euclidean norm after standardising (certified mode needs ‖x‖ ≤ 1). Default false. */
  unitRows?: boolean;
  /** Columns left as they are (e.g. one-hot columns). */
  unscaledColumns?: ReadonlyArray<number>;
  /** The number of columns d, for a flat X. */
  nFeatures?: number;
}

export interface Prepared<L extends Label = Label> {
  xTrain: number[][];
  yTrain: L[];
  xTest: number[][];
  yTest: L[];
  /** Row of X of each training row. */
  trainRows: number[];
  /** Row of X of each test row. */
  testRows: number[];
  /** The training split's column means (0 for unscaled columns). */
  mean: number[];
  /** The training split's column standard deviations (1 for unscaled or constant columns). */
  scale: number[];
  /** Columns constant on the training split (exactly or up to round-off): they become 0. */
  constantColumns: number[];
}

/**
 * A seeded train/test split, standardised with the training split's mean and standard deviation
 * (scikit-learn: train_test_split, then StandardScaler fitted on the training part).
 */
export function prepare<L extends Label>(X: Matrix, y: Labels<L>, options?: PrepareOptions): Prepared<Widen<L>>;

/** The row indices of the seeded split `prepare` uses, without the data (for a table of n rows). */
export function trainTestSplit(n: number, options?: { testFraction?: number; seed?: number }): { train: number[]; test: number[] };

/** Seeded synthetic data: n rows of d standard-normal features, 0/1 labels from a random logistic model. */
export function makeClassification(n: number, d: number, seed?: number): { X: number[][]; y: number[] };

/** k distinct sorted indices from 0 … n − 1, reproducible from `seed`. */
export function sampleRows(n: number, k: number, seed?: number): number[];

/** A fresh random seed (a whole number below 2³²) from `crypto.getRandomValues`. */
export function randomSeed(): number;
