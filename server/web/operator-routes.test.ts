import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeStation } from '../station/fake-station.test-helper.js';
import { createApp } from './app.js';
import type { ChannelSummary } from './wire.js';

test('a PATCH answers with the title the change puts on air, not the one still playing', async () => {
  const { station } = await startFakeStation({ server: { switchLead: 2 } });
  try {
    const app = createApp(station, { operatorToken: 't' });
    const response = await app.request('/api/channels/a', { method: 'PATCH', headers: { authorization: 'Bearer t' }, body: JSON.stringify({ model: 'tone-b' }) });
    assert.equal(response.status, 200);
    const changed = (await response.json()) as ChannelSummary;
    assert.equal(changed.title, 'a: organ - tone-b');
    // Listeners still hear the old sound for switchLead (2 s): /api/channels says so.
    const now = ((await (await app.request('/api/channels')).json()) as ChannelSummary[]).find((c) => c.id === 'a')!;
    assert.equal(now.title, 'a: sine - tone-a');
  } finally {
    await station.stop();
  }
});
