// `js`: compiled for the JavaScript boundary (wasm32), where the core's settings and reports
// derive serde's traits. A short name keeps those attributes on one line.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(js)");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo::rustc-cfg=js");
    }
}
