export function HomePage() {
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
      <h2>How it works</h2>
      <ol>
        <li>Open a ticket: say what is wrong and how urgent it is.</li>
        <li>Our agents answer on the ticket; you reply there too.</li>
        <li>Close it when you are done. Reopen it if the problem comes back.</li>
      </ol>
    </section>
  );
}
