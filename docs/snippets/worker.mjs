import { createFlk } from 'fractal-lba';

export default {
  async fetch(request, env) {
    const flk = await createFlk(); // the Worker build: the WASI reactor, imported as a module
    const { pcs } = await request.json();
    const verdict = flk.pcs.verify({ pcs, key: JSON.parse(env.FLK_PCS_KEY) });
    return Response.json(verdict, { status: verdict.status }); // 200 accepted, 202 escalated, 401 bad signature
  },
};
