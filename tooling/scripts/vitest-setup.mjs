// Runs before every test file: property tests without an explicit seed still draw the same
// cases on every run, so a failure reproduces.
import fc from 'fast-check';

fc.configureGlobal({ seed: 20261128 });
