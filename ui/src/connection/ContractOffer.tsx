// Offering "Connect your USPS business account" to a business with contract (NSA) prices: the
// first-use question ("Do you have USPS contract prices?") and the banner that stays until an
// account is connected. Core decides which to show (`guide_offer` in its connection snapshot) and
// keeps the answer; this file only renders them.
import { useId } from "react";
import { ModalDialog } from "./ModalDialog";

export function GuideOfferBanner({ onOpenGuide }: { onOpenGuide: () => void }) {
  return (
    <div className="usps-banner guide-offer" role="status" data-testid="guide-offer-banner">
      <span>Connect your USPS business account so labels are bought at your contract prices.</span>
      <button type="button" className="link-button" onClick={onOpenGuide} data-action="open-business-guide">
        Show me how
      </button>
    </div>
  );
}

export function ContractQuestion(props: { onAnswer: (have: boolean) => void; onLater: () => void }) {
  const titleId = useId();
  const textId = useId();
  return (
    <ModalDialog titleId={titleId} describedBy={textId} onEscape={props.onLater} testId="contract-question">
      <h2 id={titleId}>Welcome to Shipdesk</h2>
      <p id={textId}>
        Do you have USPS contract prices — a Negotiated Service Agreement (NSA) with USPS? Shipdesk then guides you through
        connecting your USPS business account, so every label is bought at your contract prices.
      </p>
      <div className="modal-actions">
        <button type="button" onClick={props.onLater} data-action="contract-question-later">
          Ask me later
        </button>
        <button type="button" onClick={() => props.onAnswer(false)} data-action="contract-question-no">
          No
        </button>
        <button type="button" className="primary" onClick={() => props.onAnswer(true)} data-action="contract-question-yes">
          Yes, guide me
        </button>
      </div>
    </ModalDialog>
  );
}
