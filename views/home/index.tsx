export function HomePage({ guests }: { guests: boolean }) {
  return (
    <section class="home">
      <h1>Help when you need it</h1>
      <p class="lead">
        Hyperdesk is where you ask for help and follow it up. It works on any browser, on a slow connection, with or
        without JavaScript.
      </p>
      <p class="actions">
        <a class="button" href="/login">
          Sign in
        </a>
        <a class="button secondary" href="/register">
          Create an account
        </a>
      </p>
      {guests && (
        <div class="guest-start">
          <h2>No account? No problem</h2>
          <p>Open a ticket here without an account: you get a number and a code to follow it from any computer.</p>
          <p class="actions">
            <a class="button" href="/guest">
              Open a ticket without an account
            </a>
            <a class="button secondary" href="/status">
              Check a ticket with its code
            </a>
          </p>
        </div>
      )}
      <h2>How it works</h2>
      <ol>
        <li>Open a ticket: say what is wrong and how urgent it is.</li>
        <li>Our agents answer on the ticket; you reply there too.</li>
        <li>Close it when you are done. Reopen it if the problem comes back.</li>
      </ol>
    </section>
  );
}
