import { benchGateway } from './gateway';
(async () => {
  console.log(await benchGateway(1500));
})();
