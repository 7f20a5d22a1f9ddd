import { towerlessApp } from '../lib/infra/app';

towerlessApp();
