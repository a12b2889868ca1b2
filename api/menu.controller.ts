import { Controller, Get, Inject } from '@nestjs/common';
import { CURRENCY, MENU, PRICES_CENTS, SUGAR_LABELS } from '../contracts/menu';
import { shortageText, type StockLevels } from '../contracts/stock';
import { ApiDoc, json } from './openapi-docs';
import { STOCK_LEVELS } from './tokens';

/** The menu with today's prices and what is sold out now (and why), so the page offers only what can be made. */
@Controller('menu')
export class MenuController {
  constructor(@Inject(STOCK_LEVELS) private readonly stock: StockLevels) {}

  @Get()
  @ApiDoc({ operationId: 'getMenu', summary: 'What the shop sells', responses: { '200': { description: 'The menu.', content: json('Menu') } } })
  menu() {
    const soldOut = this.stock.shortages().map(({ ingredient, station }) => ({ ingredient, station, reason: shortageText(ingredient) }));
    return { ...MENU, sugarLabels: SUGAR_LABELS, currency: CURRENCY, pricesCents: PRICES_CENTS, soldOut };
  }
}
