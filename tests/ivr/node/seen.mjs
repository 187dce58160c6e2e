// The request log the test services keep: every request but GET /seen is recorded (method, path,
// query and, where a body parser ran first, body), and GET /seen returns the list.
export function recordRequests (app) {
    const seen = [];
    app.use((req, res, next) => {
        if (req.path !== '/seen') seen.push({ method: req.method, path: req.path, query: req.query, body: req.body });
        next();
    });
    app.get('/seen', (req, res) => res.json(seen));
}
