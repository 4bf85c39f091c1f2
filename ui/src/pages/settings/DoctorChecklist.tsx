// "Check connection": each step of the chain USPS enrollment builds, as passed, failed (with
// what to do) or not reached.
import { useEffect, useRef } from "react";
import type { CheckStatus, ConnectionCheck } from "../../ipc";

const STATUS_TEXT: Record<CheckStatus, string> = {
  passed: "Passed",
  failed: "Failed",
  not_reached: "Not reached",
};

const STATUS_MARK: Record<CheckStatus, string> = { passed: "✓", failed: "✗", not_reached: "–" };

export function DoctorChecklist({ check }: { check: ConnectionCheck }) {
  const failed = check.steps.filter((s) => s.status === "failed").length;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A fresh result may land below the fold (Retry from the banner): bring it into view.
    box.current?.scrollIntoView?.({ block: "nearest" });
  }, [check]);
  return (
    <div data-testid="doctor-checklist" ref={box}>
      <p aria-live="polite" data-field="check-summary">
        {failed === 0 && check.steps.every((s) => s.status === "passed")
          ? "Everything USPS needs is in place."
          : `${failed} ${failed === 1 ? "step" : "steps"} failed. Fix the first failure, then check again.`}
      </p>
      <ol className="checklist">
        {check.steps.map((step) => (
          <li key={step.name} data-step={step.name} data-status={step.status}>
            <span className={`step-status status-${step.status}`}>
              <span aria-hidden="true">{STATUS_MARK[step.status]} </span>
              {STATUS_TEXT[step.status]}
            </span>
            <strong>{step.name}</strong>
            <div className="muted">{step.detail}</div>
            {step.fix && (
              <div className="step-fix" data-field="fix">
                <strong>What to do: </strong>
                {step.fix}
              </div>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
