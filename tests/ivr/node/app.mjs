// A small IVR web service written with yemot-router2, as its users write them: a menu read, a
// 4-digit read, a spoken message and a hang-up. It records every request's fields so the tests
// can see what the emulator sent; GET /seen returns them. Listens on 127.0.0.1, the port the
// operating system picks, and prints "listening <port>" once ready.
import express from 'express';
import { YemotRouter } from 'yemot-router2';
import { recordRequests } from './seen.mjs';

const app = express();
app.use(express.urlencoded({ extended: true }));
recordRequests(app);

const router = YemotRouter({ printLog: false, uncaughtErrorHandler: (error) => console.error('IVR error', error) });

router.all('/ivr', async (call) => {
    const choice = await call.read([{ type: 'text', data: 'לזיהוי הקישו 1 לסיום הקישו 2' }], 'tap', {
        val_name: 'choice', max_digits: 1, digits_allowed: [1, 2]
    });
    if (choice === '2') return call.hangup();
    const userId = await call.read([{ type: 'text', data: 'הקש מספר זהות בן ארבע ספרות' }], 'tap', {
        val_name: 'userId', max_digits: 4, min_digits: 4
    });
    call.id_list_message([{ type: 'text', data: 'שלום' }, { type: 'digits', data: userId }], { prependToNextAction: true });
    return call.hangup();
});

app.use('/', router);
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
