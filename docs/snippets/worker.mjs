import { createFlk } from 'fractal-lba';

export default {
  async fetch(request) {
    const flk = await createFlk(); // the Worker build: the WASI reactor, imported as a module
    const score = flk.call('hrs.score', await request.json());
    const decision = flk.call('routing.decide', { risk: score.probability });
    return Response.json({ action: decision.action, score });
  },
};
