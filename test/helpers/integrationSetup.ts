// Integration tests wait on real servers (a rebalance alone takes seconds), so the
// default 5 s per test would fail healthy runs. Applies to *.int.test.ts only.
jest.setTimeout(240_000);
