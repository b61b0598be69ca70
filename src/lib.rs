//! # unlearn
//!
//! Train a small binary logistic model and make it forget features, labels or training points
//! with the closed-form updates of Warnecke, Pirch, Wressnegger & Rieck, "Machine Unlearning of
//! Features and Labels" (NDSS 2023), and compare them honestly with retraining.
//!
//! ## Notation
//! - D: n training rows (xᵢ, yᵢ), xᵢ ∈ ℝᵈ, yᵢ ∈ {0, 1}; `x` is an n × d matrix.
//! - θ = [w; b]: d weights and (optionally) an unpenalised intercept b, last.
//! - L(θ; D) = Σᵢ log(1 + exp(−sᵢ θᵀx̂ᵢ)) + (λ/2)‖w‖², sᵢ = 2yᵢ − 1, x̂ = [x; 1] — the sum form
//!   of the paper's certified code; the same optimum as scikit-learn `LogisticRegression(C = 1/λ)`.
//! - θ* = argmin L(θ; D), found by Newton's method ([`train`]).
//! - An [`Edit`] turns the affected points Z into Z̃ and D into D̃.
//!   G = Σ_{Z̃}∇ℓ(z̃, θ*) − Σ_Z ∇ℓ(z, θ*); first-order θ* − τG; second-order θ* − H̃⁻¹G with
//!   H̃ = ∇²L(θ*; D̃).
//! - The gradient residual ‖∇L(θ; D̃)‖₂ says how far θ is from the retrained optimum.
//!
//! The core depends on nalgebra, and on getrandom for the one thing that must not be seeded: the
//! secret noise of certified unlearning ([`noise`]). `wasm` (compiled for wasm32 only) is the
//! single module that talks to JavaScript.
//!
//! ```
//! use unlearn::{Dataset, Edit, TrainConfig, train, apply_edit, gradient_difference,
//!               second_order_update, metrics::gradient_residual};
//! # fn main() -> unlearn::Result<()> {
//! let data = Dataset::from_row_major(
//!     &[0.0, 1.0,  1.0, 0.0,  2.0, 1.0,  -1.0, 0.5,  0.5, 0.5,  -0.5, -1.0],
//!     6, 2, &[0.0, 1.0, 1.0, 0.0, 1.0, 0.0])?;
//! let config = TrainConfig::default();
//! let (model, _) = train(&data, &config)?;
//! // Forget feature 1 (set it to 0 everywhere).
//! let edit = Edit { features: vec![1], ..Edit::default() };
//! let applied = apply_edit(&data, &edit)?;
//! let objective = config.objective();
//! let g = gradient_difference(&objective, &applied.delta, model.theta());
//! let theta = second_order_update(&objective, &applied.edited, model.theta(), &g)?;
//! assert!(theta[1].abs() < 1e-9); // the forgotten feature's weight is gone
//! assert!(gradient_residual(&objective, &applied.edited, &theta)
//!         < gradient_residual(&objective, &applied.edited, model.theta()));
//! # Ok(()) }
//! ```
//!
//! ## References
//! - A. Warnecke, L. Pirch, C. Wressnegger, K. Rieck. Machine Unlearning of Features and Labels.
//!   NDSS 2023.
//! - C. Guo, T. Goldstein, A. Hannun, L. van der Maaten. Certified Data Removal from Machine
//!   Learning Models. ICML 2020.
//! - P. W. Koh, P. Liang. Understanding Black-box Predictions via Influence Functions. ICML 2017.

#![deny(missing_docs)]

pub mod certify;
pub mod data;
pub mod edit;
pub(crate) mod edit_input;
mod error;
pub mod experiment;
pub mod hedge;
pub mod influence;
pub mod limits;
pub mod live;
pub mod method;
pub mod metrics;
mod model;
pub mod model_file;
pub mod noise;
pub mod objective;
pub mod prepare;
pub mod rng;
pub mod synth;
pub mod train;
pub mod unlearn;
pub mod unlearner;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
#[cfg(js)]
mod wire;

pub use data::Dataset;
pub use edit::{apply_edit, AppliedEdit, Edit, EditDelta};
pub use error::{Error, Result};
pub use experiment::{CompareOptions, Comparison, Experiment, MethodFailure, MethodOutcome};
pub use live::LiveData;
pub use method::{Method, UpdateSettings};
pub use model::Model;
pub use objective::Objective;
pub use train::{train, train_from, TrainConfig, TrainReport};
pub use unlearn::{first_order_update, gradient_difference, second_order_update};
pub use unlearner::{
    Certificate, DriftAction, DriftPolicy, HessianPolicy, RequestOptions, RequestReport, Unlearner,
    UnlearnerConfig,
};
