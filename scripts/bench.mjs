// `npm run bench`: the benchmarks (issue 8) are not built yet.
console.log("Payport benchmarks (bench/) are not built yet; see issue 8.")
