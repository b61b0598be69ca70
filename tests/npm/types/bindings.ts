// The generated low-level bindings ('unlearn/bindings') declare `[Symbol.dispose]`, so they need
// the lib "esnext.disposable" (TypeScript ≥ 5.2) unless skipLibCheck is set.
import initBindings, { Session, Unlearner, Model, prepareTable } from 'unlearn/bindings';

export async function raw(): Promise<number> {
  await initBindings();
  const model: Unlearner = Unlearner.fit(new Float64Array([0, 1]), [0, 1], 1, {});
  const value: Model = model.model();
  const session: typeof Session = Session;
  void [value, session, prepareTable];
  return model.nRows;
}
