// Child process of `--against` (against.mjs): loads a rounds module (sim-rounds.mjs,
// explore-rounds.mjs) for one tree, warms it up, then answers each { round } with that round's figures.
let measurer;
process.on('message', async (message) => {
  try {
    if (message.setup) {
      const { setup } = await import(message.setup.module);
      measurer = await setup(message.setup.root, message.setup.options);
      process.send({ result: 'ready' });
    } else process.send({ result: await measurer.round(message.round) });
  } catch (error) {
    process.send({ error: error.stack ?? String(error) });
  }
});
process.on('disconnect', async () => {
  await measurer?.close?.();
  process.exit(0);
});
