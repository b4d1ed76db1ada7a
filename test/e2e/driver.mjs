// Runs the dashboard from a private build (WIRETOP_DIST) until the lead's CLI entry calls
// runDashboard: `node test/e2e/driver.mjs -r FILE [--speed N|max] [--demo] [--no-color] [--fps N]`.
const dist = process.env.WIRETOP_DIST;
if (!dist) {
  process.stderr.write('driver: set WIRETOP_DIST to the build directory\n');
  process.exit(1);
}
const { runDashboard } = await import(`${dist}/cli/dashboard.js`);
const args = process.argv.slice(2);
const opts = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-r') opts.read = args[++i];
  else if (a === '-i') opts.interface = args[++i];
  else if (a === '-f') opts.filter = args[++i];
  else if (a === '--speed') opts.speed = args[++i] === 'max' ? 'max' : Number(args[i]);
  else if (a === '--fps') opts.fps = Number(args[++i]);
  else if (a === '--demo') opts.demo = true;
  else if (a === '--no-color') opts.color = false;
}
const code = await runDashboard(opts);
process.exit(code);
