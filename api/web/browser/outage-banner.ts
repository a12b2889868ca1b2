/// <reference lib="dom" />
import { byId, setText } from './dom';

/**
 * While the shop cannot be reached, an alert says so and the order's headline stops claiming progress it
 * cannot see; once the shop is back, `onBack` shows the order as it is then.
 */
export interface OutageBanner {
  show(on: boolean): void;
  readonly up: boolean;
}

export function createOutageBanner(onBack: () => void): OutageBanner {
  const banner = byId('outage');
  let up = false;
  return {
    show(on) {
      if (up === on) return;
      up = on;
      banner.hidden = !on;
      banner.textContent = on ? 'We have lost the connection to the shop and are reconnecting. Your order is not affected; this page catches up once we are back.' : '';
      if (on) setText(byId('order-status'), 'Reconnecting to the shop…');
      else onBack();
    },
    get up() {
      return up;
    },
  };
}
