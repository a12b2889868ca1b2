import { Controller, Get } from '@nestjs/common';
import { MENU, SUGAR_LABELS } from '../contracts/menu';

@Controller('menu')
export class MenuController {
  @Get()
  menu() {
    return { ...MENU, sugarLabels: SUGAR_LABELS };
  }
}
