// Shown in a browser opened without the bridge's token (or after a reload,
// which drops it: it lives in memory only).
export function MissingToken() {
  return (
    <div className="app">
      <header className="app-bar">
        <h1>fibrecon</h1>
      </header>
      <main>
        <section className="card missing-token" role="alert">
          <h2>This page needs the bridge's access token</h2>
          <p>
            Open the address that <code>npm run bridge</code> printed when it started, the one ending in <code>?token=…</code>. The token is
            kept in memory only, so reloading the page also asks for it again.
          </p>
        </section>
      </main>
    </div>
  );
}
