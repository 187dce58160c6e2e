// A yemot-router2 service that calls the platform's REST API while it handles a step, as real
// apps do: it records the caller, reads its session (GetSession), moves the recording
// (FileAction) and downloads it (DownloadFile) before it answers with what it found.
// Usage: node rest_app.mjs <Yemot API base URL> <token>. Listens on 127.0.0.1 (a free port)
// and prints "listening <port>" once ready; GET /seen returns the requests it received.
import express from 'express';
import { YemotRouter } from 'yemot-router2';
import { recordRequests } from './seen.mjs';

const [api, token] = process.argv.slice(2);
const app = express();
recordRequests(app);

async function ym (method, params) {
    const answer = await fetch(`${api}${method}?${new URLSearchParams({ token, ...params })}`);
    return answer;
}

const router = YemotRouter({ printLog: false, uncaughtErrorHandler: (error) => console.error('IVR error', error) });

router.all('/ivr', async (call) => {
    const recording = await call.read([{ type: 'text', data: 'say your message' }], 'record', {
        val_name: 'rec', file_name: 'msg', no_confirm_menu: true
    });
    const session = await (await ym('GetSession', {})).json();
    const moved = await (await ym('FileAction', { action: 'move', what: `ivr2:${recording}`, target: 'ivr2:/7/kept.wav' })).json();
    const file = await (await ym('DownloadFile', { path: 'ivr2:/7/kept.wav' })).arrayBuffer();
    const said = `${moved.responseStatus} ${file.byteLength} bytes for ${session.username}`;
    call.id_list_message([{ type: 'text', data: said }], { prependToNextAction: true });
    return call.hangup();
});

app.use('/', router);
const server = app.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
