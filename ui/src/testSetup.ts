// A loaded CI machine can take seconds to render what a desk machine renders at once; waiting
// longer only slows a test that is about to fail anyway.
import { configure } from "@testing-library/react";

configure({ asyncUtilTimeout: 10_000 });
