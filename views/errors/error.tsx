export function ErrorPage({ title, message, requestId }: { title: string; message: string; requestId?: string }) {
  return (
    <section class="error-page" id="error">
      <h1>{title}</h1>
      <p>{message}</p>
      {requestId && (
        <p class="hint">
          If you contact support, give them this reference: <code>{requestId}</code>
        </p>
      )}
      <p>
        <a href="/tickets">Go to your tickets</a>
      </p>
    </section>
  );
}
