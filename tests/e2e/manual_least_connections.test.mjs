// Least connections in manual mode keeps the bars level as requests are completed by hand.

import { appTest, clickTestId, expectConnections } from './helpers.mjs';

appTest(
  'least connections with completions: 3,3,3 then 3,1,3 then 3,3,3',
  { query: 'mode=manual&algo=least-connections&servers=3' },
  async ({ page }) => {
    await clickTestId(page, 'fire', 9);
    await expectConnections(page, [3, 3, 3], 'after 9 fires');

    await clickTestId(page, 'complete-server2', 2);
    await expectConnections(page, [3, 1, 3], 'after completing two requests on server2');

    await clickTestId(page, 'fire', 2);
    await expectConnections(page, [3, 3, 3], 'after 2 more fires (both must go to server2)');
  },
);
