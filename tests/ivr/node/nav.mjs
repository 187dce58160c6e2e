// A yemot-router2 service that moves the caller the ways its API offers: restart_ext (go_to_folder
// to its own extension), go_to_folder with a relative target, id_list_message ending in a
// go_to_folder message, a text its removeInvalidChars option cleans, and hangup. One digit chooses.
// Listens on 127.0.0.1 (a free port) and prints "listening <port>" once ready; GET /seen lists requests.
import express from 'express';
import { YemotRouter } from 'yemot-router2';
import { recordRequests } from './seen.mjs';

const app = express();
recordRequests(app);

const router = YemotRouter({ printLog: false, uncaughtErrorHandler: (error) => console.error('IVR error', error) });

router.all('/nav', async (call) => {
    const choice = await call.read([{ type: 'text', data: 'בחרו' }], 'tap', {
        val_name: 'nav', max_digits: 1, digits_allowed: [1, 2, 3, 4, 5, 6]
    });
    if (choice === '1') return call.restart_ext();
    if (choice === '2') return call.go_to_folder('..');
    if (choice === '3') return call.id_list_message([{ type: 'text', data: 'שלום' }, { type: 'go_to_folder', data: '/9' }]);
    if (choice === '4') return call.id_list_message([{ type: 'text', data: 'המחיר 1.5 שקל' }], { removeInvalidChars: true });
    if (choice === '5') return call.go_to_folder('../6');
    call.id_list_message([{ type: 'text', data: 'להתראות' }], { prependToNextAction: true });
    return call.hangup();
});

app.use('/', router);
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
