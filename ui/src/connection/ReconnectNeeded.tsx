// In place of a result that cannot come until USPS is reconnected (the address check, rates):
// says so in plain words with a Reconnect button, so a screen that was waiting on USPS never
// stays on "Asking USPS…" after the Reconnect prompt is put off with Remind Me Later. Reconnect
// is the banner's (sign-in starts at once, and what failed is offered again once connected);
// when the connection comes back some other way (Settings), it offers to try again here.
import { useEffect, useState } from "react";
import { useConnectionBanner } from "./UspsConnection";
import "./connection.css";

export function ReconnectNeeded(props: {
  /** What waits for the reconnect: "rates can be fetched". */
  before: string;
  /** Once USPS is connected, the button that asks again ("Check the address"); leave it out
   *  where the screen has its own. */
  again?: { label: string; run: () => void };
}) {
  const { needsReconnect, reconnect } = useConnectionBanner();
  // Core's snapshot may say "needs reconnect" a moment after the error that showed this: only a
  // change from needing to not needing means it is connected again.
  const [seenNeeding, setSeenNeeding] = useState(needsReconnect);
  useEffect(() => {
    if (needsReconnect) setSeenNeeding(true);
  }, [needsReconnect]);

  if (seenNeeding && !needsReconnect) {
    return (
      <div className="notice notice-warn reconnect-needed" role="status" data-testid="reconnected">
        <span>USPS is connected again.</span>
        {props.again && (
          <button type="button" onClick={props.again.run}>
            {props.again.label}
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="notice notice-warn reconnect-needed" role="status" data-testid="reconnect-needed">
      <span>USPS needs to be reconnected before {props.before}.</span>
      <button type="button" className="primary" onClick={reconnect} data-action="reconnect-usps">
        Reconnect
      </button>
    </div>
  );
}
