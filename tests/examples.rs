//! The examples in `examples/` run as part of the test suite, so the
//! embedding example in the README keeps working.

#[path = "../examples/embed.rs"]
mod embed;

#[test]
fn the_embedding_example_runs() {
    embed::main().expect("examples/embed.rs");
}
