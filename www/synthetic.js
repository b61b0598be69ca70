// The 2-D playground's data: two overlapping Gaussian clouds, made from a small seeded
// generator (mulberry32 and Box–Muller), so that a seed always gives the same points — on the
// page, in a link and in the tests. Pure: no DOM, no wasm.

/** A uniform generator on [0, 1) from a 32-bit seed (mulberry32). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard-normal draws from a uniform generator (Box–Muller). */
function normal(random) {
  let spare = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/** The centres of the two clouds and their spread. */
export const BLOBS = { centres: [[-0.9, -0.5], [0.9, 0.5]], spread: 1 };

const round = (v) => Math.round(v * 1000) / 1000;

function draw(gauss, n) {
  const points = [];
  for (let i = 0; i < n; i += 1) {
    const c = i % 2;
    const [mx, my] = BLOBS.centres[c];
    points.push([round(mx + BLOBS.spread * gauss()), round(my + BLOBS.spread * gauss()), c]);
  }
  return points;
}

/**
 * `n` training points and `nTest` test points (alternating classes), reproducible from `seed`:
 * `{train: [[x1, x2, label], …], test: […]}` with coordinates rounded to 3 decimals.
 */
export function blobs(seed, { n = 40, nTest = 400 } = {}) {
  const gauss = normal(mulberry32(seed));
  const train = draw(gauss, n);
  const test = draw(gauss, nTest);
  return { train, test };
}

/** Row-major x (n × 2) and labels y of `points`, as the wasm API takes them. */
export function toArrays(points) {
  const x = new Float64Array(points.length * 2);
  const y = new Float64Array(points.length);
  points.forEach(([a, b, c], i) => {
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = c;
  });
  return { x, y };
}
