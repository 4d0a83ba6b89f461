package build

// CodeVersion identifies the build step's code in the pipeline's DAG: a
// change here (or in the indicator catalog's definitions) makes `grunnlag
// run` rebuild the indicator table even when no dataset changed.
const CodeVersion = "grunnlag-build/1"
